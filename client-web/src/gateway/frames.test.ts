import Ajv2020 from 'ajv/dist/2020';
import { describe, expect, it } from 'vitest';
import { SCHEMA_FRAME_TYPES } from './frames.gen';
import {
  CLIENT_FRAME_TYPES, decodeServerFrame, encodeClientFrame, SERVER_FRAME_TYPES, type ClientFrame, type ServerFrameType,
} from './frames';

// The protocol module's canonical frames and schemas (protocol/src/main/resources/jp/kairan/protocol/v1/).
const examples = byType(import.meta.glob('../../../protocol/src/main/resources/jp/kairan/protocol/v1/examples/*.json',
  { eager: true, import: 'default' }), '.json');
const schemas = byType(import.meta.glob('../../../protocol/src/main/resources/jp/kairan/protocol/v1/schemas/*.schema.json',
  { eager: true, import: 'default' }), '.schema.json');

function byType(modules: Record<string, unknown>, suffix: string): Record<string, Record<string, unknown>> {
  return Object.fromEntries(Object.entries(modules).map(([path, json]) => [path.split('/').pop()!.slice(0, -suffix.length),
    json as Record<string, unknown>]));
}

const sorted = (list: readonly string[]) => [...list].sort();

describe('frame types', () => {
  it('are exactly the protocol examples: client and server types together, nothing missing or extra', () => {
    expect(Object.keys(examples).length).toBeGreaterThan(20);
    expect(sorted([...CLIENT_FRAME_TYPES, ...SERVER_FRAME_TYPES])).toEqual(sorted(Object.keys(examples)));
    expect(sorted(SCHEMA_FRAME_TYPES)).toEqual(sorted(Object.keys(examples)));
    expect(CLIENT_FRAME_TYPES.filter((t) => (SERVER_FRAME_TYPES as string[]).includes(t))).toEqual([]);
  });

  it('name their example in its type field', () => {
    for (const [type, example] of Object.entries(examples)) expect(example.type, type).toBe(type);
  });
});

describe('decodeServerFrame', () => {
  it.each(SERVER_FRAME_TYPES)('accepts the example %s unchanged', (type: ServerFrameType) => {
    const text = JSON.stringify(examples[type]);
    const decoded = decodeServerFrame(text);
    expect(decoded).toEqual({ ok: true, frame: examples[type] });
  });

  it('ignores fields it does not know', () => {
    const frame = { ...examples['typing.started'], addedInV1_1: { x: 1 } };
    expect(decodeServerFrame(JSON.stringify(frame))).toMatchObject({ ok: true });
  });

  it('reports unknown types, so that they can be ignored', () => {
    expect(decodeServerFrame('{"type":"room.pinned","roomId":"1"}')).toEqual({ ok: false, reason: 'unknown_type', type: 'room.pinned' });
    expect(decodeServerFrame('{"type":"message.send","id":"a","roomId":"1","text":"x"}')).toMatchObject({ reason: 'unknown_type' });
    expect(decodeServerFrame('{"roomId":"1"}')).toMatchObject({ reason: 'unknown_type' });
  });

  it('refuses frames that are not JSON objects or miss a field', () => {
    expect(decodeServerFrame('nope')).toMatchObject({ reason: 'not_json' });
    expect(decodeServerFrame('[1]')).toMatchObject({ reason: 'not_object' });
    const { seq: _seq, ...noSeq } = examples['message.ack'];
    expect(decodeServerFrame(JSON.stringify(noSeq))).toMatchObject({ reason: 'bad_fields', type: 'message.ack' });
    const page = examples['message.page'] as { messages: Record<string, unknown>[] };
    const badMessage = { ...page, messages: [{ ...page.messages[0], seq: '42' }] };
    expect(decodeServerFrame(JSON.stringify(badMessage))).toMatchObject({ reason: 'bad_fields' });
  });

  it('decodes room.policy (POLICY.md) and keeps the findings of an error frame', () => {
    expect(decodeServerFrame(JSON.stringify({ type: 'room.policy', roomId: '7' }))).toMatchObject({ reason: 'bad_fields' });
    expect(decodeServerFrame(JSON.stringify({ ...examples.error, findings: 'x' }))).toMatchObject({ reason: 'bad_fields' });
    const findings = [{ detector: 'my_number', class: 'I', verdict: 'block', start: 0, end: 12, excerpt: '****-****-9018', label: 'My Number', labelJa: 'マイナンバー' }];
    const blocked = { ...examples.error, code: 'content_blocked', findings };
    expect(decodeServerFrame(JSON.stringify(blocked))).toEqual({ ok: true, frame: blocked });
  });

  it('accepts the nulls the server writes for optional fields', () => {
    const error = { ...examples.error, re: null, detail: null };
    expect(decodeServerFrame(JSON.stringify(error))).toMatchObject({ ok: true });
  });
});

describe('client frames', () => {
  const ajv = new Ajv2020({ strict: false, validateFormats: false });
  for (const schema of Object.values(schemas)) ajv.addSchema(schema);
  const validate = (frame: object) => {
    const schema = ajv.getSchema(`https://kairan.jp/protocol/v1/${(frame as { type: string }).type}.schema.json`)!;
    return schema(frame) ? null : schema.errors;
  };

  /** Frames as the client builds them (typed by the generated types), one of each type. */
  const built: ClientFrame[] = [
    { type: 'session.authenticate', id: '6f1c0b9e-2a1d-4c4e-9d59-0c6f2d1f7a10', token: 'eyJhbGciOiJFUzI1NiJ9.e30.sig',
      proof: 'eyJ0eXAiOiJkcG9wK2p3dCJ9.e30.sig' },
    { type: 'message.send', id: '7b0e4c1e-3f5a-4c4e-9d59-0c6f2d1f7a10', roomId: '590372839467008001', text: 'お疲れさまです @佐藤 さん',
      replyTo: '590372839467012000', mentions: ['590372839467004002'], mentionAll: false },
    { type: 'message.send', id: 'b', roomId: '590372839467008001', text: '了解です' },
    { type: 'message.send', id: 'b2', roomId: '590372839467008001', text: '202610160001', confirmed: true },
    { type: 'message.edit', id: 'c2', roomId: '590372839467008001', messageId: '590372839467012096', text: '202610160001', confirmed: true },
    { type: 'message.edit', id: 'c', roomId: '590372839467008001', messageId: '590372839467012096', text: '訂正します' },
    { type: 'message.delete', id: 'd', roomId: '590372839467008001', messageId: '590372839467012096' },
    { type: 'message.sync', id: 'e', roomId: '590372839467008001', afterSeq: 0, limit: 200 },
    { type: 'message.history', id: 'f', roomId: '590372839467008001', beforeSeq: 40, limit: 50 },
    { type: 'receipt.read', id: 'g', roomId: '590372839467008001', seq: 42 },
    { type: 'reaction.add', id: 'h', roomId: '590372839467008001', messageId: '590372839467012096', emoji: '👍' },
    { type: 'reaction.remove', id: 'i', roomId: '590372839467008001', messageId: '590372839467012096', emoji: '🙇' },
    { type: 'typing.start', id: 'j', roomId: '590372839467008001' },
    { type: 'presence.set', id: 'k', status: 'away' },
    { type: 'presence.subscribe', id: 'l', userIds: ['590372839467004002', '590372839467004003'] },
  ];

  it('cover every client type', () => {
    expect(sorted([...new Set(built.map((f) => f.type))])).toEqual(sorted(CLIENT_FRAME_TYPES));
  });

  it.each(built.map((f) => [f.type, f] as const))('%s as the client writes it validates against its schema', (_, frame) => {
    expect(validate(JSON.parse(encodeClientFrame(frame)))).toBeNull();
  });

  it.each(CLIENT_FRAME_TYPES)('the example %s is a valid client frame for the schema the client types come from', (type) => {
    expect(validate(examples[type])).toBeNull();
  });
});
