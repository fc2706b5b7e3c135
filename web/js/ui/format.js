/** Times and dates as people read them, in the browser's locale. */

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
const shortDayFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const utcDayFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });

export function formatTime(ms) {
  return timeFormat.format(new Date(ms));
}

export function formatFull(ms) {
  return fullFormat.format(new Date(ms));
}

/** A day the server records by its UTC start (a device's last-seen day): the date alone. */
export function formatUtcDay(ms) {
  return utcDayFormat.format(new Date(ms));
}

export function dayKey(ms) {
  const d = new Date(ms);
  return `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
}

export function formatDay(ms) {
  const today = new Date();
  const yesterday = new Date(Date.now() - 86_400_000);
  if (dayKey(ms) === dayKey(today.getTime())) return 'Today';
  if (dayKey(ms) === dayKey(yesterday.getTime())) return 'Yesterday';
  return dayFormat.format(new Date(ms));
}

/** The sidebar's compact time: a time today, a date before. */
export function formatShort(ms) {
  return dayKey(ms) === dayKey(Date.now()) ? formatTime(ms) : shortDayFormat.format(new Date(ms));
}

/** When a message happened for display: the server's time if known, else the sender's. */
export function messageTime(message) {
  return message.direction === 'out' ? message.sentAt : (message.serverTime ?? message.sentAt);
}
