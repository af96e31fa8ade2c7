import type { Schemas } from '../api/client';
import { dateTime } from '../format';
import { lang, t } from '../i18n/i18n';

type Device = Schemas['Device'];

/** The device's state as a badge (`device-status`, `data-status`). */
export function DeviceStatus({ device }: { device: Device }) {
  return (
    <span class={`badge device-${device.status}`} data-testid="device-status" data-status={device.status}>
      {t(`deviceStatus.${device.status}`)}
    </span>
  );
}

/** 「消去確認済み (time)」, 「消去未確認」 or 「-」 (`device-wipe`, `data-wipe`). */
export function WipeStatus({ device }: { device: Device }) {
  const text = device.wipe === 'confirmed' ? t('wipe.confirmed', { time: dateTime(device.wipeConfirmedAt, lang()) })
    : device.wipe === 'pending' ? t('wipe.pending') : t('wipe.none');
  return <span class={`wipe wipe-${device.wipe}`} data-testid="device-wipe" data-wipe={device.wipe}>{text}</span>;
}

/** Whether a device can still be revoked (pending or approved). */
export const revocable = (device: Device) => device.status === 'pending' || device.status === 'approved';
