import { isApiError } from './api/client';
import { isGatewayError } from './gateway/connection';
import { lang, t, tables, type MessageKey } from './i18n/i18n';

/** An error found in the browser before anything is sent, e.g. two passwords that differ. */
export class UiError extends Error {
  constructor(readonly key: MessageKey) {
    super(key);
    this.name = 'UiError';
  }
}

/** The text to show for an error, in the current language. */
export function errorText(error: unknown): string {
  if (error instanceof UiError) return t(error.key);
  if (isGatewayError(error)) {
    if (error.reply) {
      const text = lang() === 'ja' ? error.reply.messageJa : error.reply.message;
      return error.reply.code === 'internal_error' && error.reply.detail ? text + t('error.requestId', { id: error.reply.detail }) : text;
    }
    return error.code === 'frame_too_large' ? t('chat.error.tooLarge') : t('chat.error.offline');
  }
  if (!isApiError(error)) return t('error.unexpected');
  const id = error.requestId;
  if (error.body) {
    const body = error.body;
    let text = lang() === 'ja' ? body.messageJa : body.message;
    if (body.field) text += t('error.field', { field: fieldLabel(body.field) });
    if (body.code === 'password_policy' && body.detail) text += passwordRule(body.detail);
    if (body.code === 'internal_error' && id) text += t('error.requestId', { id });
    return text;
  }
  if (error.code === 'network_error') return t('error.network');
  const text = t('error.badResponse', { status: error.status });
  return id ? text + t('error.requestId', { id }) : text;
}

/** The rule a refused password broke (the `detail` of `password_policy`), as a sentence; empty if unknown. */
function passwordRule(rule: string): string {
  const key = `password.rule.${rule}`;
  return key in tables.ja ? t(key as MessageKey) : '';
}

/** A field named by the server (e.g. with `invalid_field`), as its label on screen if there is one. */
function fieldLabel(field: string): string {
  const key = `field.${field}`;
  return key in tables.ja ? t(key as MessageKey) : field;
}
