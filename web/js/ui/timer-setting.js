/**
 * The disappearing-messages setting in a conversation header: off, 5 minutes, 1 hour, 1 day,
 * 1 week (and the conversation's current value when another device or member chose another).
 * Changing it sends a timer control to every participant; the conversation shows the system
 * line. Kept in step with changes from elsewhere through the timer's system lines.
 */

import { h, replaceChildren } from './dom.js';
import { TIMER_CHOICES } from '../chat/content-send.js';
import { describeTimer } from '../chat/content-apply.js';

export function createTimerSetting({ messenger, conversation, onError }) {
  const select = h('select', {
    class: 'timer-select', testid: 'timer-select', aria: { label: 'Disappearing messages' }, title: 'Disappearing messages',
  });
  const element = h('label', { class: 'timer-setting' }, h('span', { class: 'timer-setting-label' }, 'Disappearing'), select);

  function render() {
    const current = messenger.conversationTimer(conversation);
    const values = TIMER_CHOICES.includes(current) ? TIMER_CHOICES : [...TIMER_CHOICES, current].sort((a, b) => a - b);
    replaceChildren(select, values.map((seconds) => h('option', { value: String(seconds) }, seconds === 0 ? 'Off' : describeTimer(seconds))));
    select.value = String(current);
    element.classList.toggle('on', current > 0);
  }

  select.addEventListener('change', () => {
    const seconds = Number(select.value);
    messenger.setTimer(conversation, seconds).catch((e) => {
      render();
      onError?.(e.message);
    });
  });
  const off = messenger.on('message', ({ peer, message }) => {
    if (peer === conversation && message.kind === 'timer') render();
  });
  render();
  return { element, destroy: off };
}
