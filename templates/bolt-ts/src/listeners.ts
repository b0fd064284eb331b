// What the app says and shows, as plain functions of Slack payloads. Only Bolt's types are imported (erased
// when compiled), so these run and test without Slack.
import type { types } from '@slack/bolt';

export const APP_NAME = '{{ app_name }}';

function section(text: string): types.SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

/** The reply to a message that says hello, in the message's thread. */
export function helloReply(message: { user?: string; ts: string; thread_ts?: string }) {
  const text = `Hi <@${message.user}>! I'm ${APP_NAME}. Try /hello, or open my App Home.`;
  return { text, thread_ts: message.thread_ts ?? message.ts, blocks: [section(text)] };
}

/** The answer to `/hello [name]`: only the caller sees it. */
export function helloCommand(command: { text?: string; user_id: string }) {
  const name = (command.text ?? '').trim();
  const text = `Hello, ${name || `<@${command.user_id}>`}! :wave:`;
  return { response_type: 'ephemeral' as const, text, blocks: [section(text)] };
}

/** The App Home tab: a greeting and a button that opens a modal. */
export function homeView(userId: string): types.HomeView {
  return {
    type: 'home',
    blocks: [
      section(`Welcome home, <@${userId}>!`),
      {
        type: 'actions',
        elements: [{ type: 'button', action_id: 'open_modal', text: { type: 'plain_text', text: 'Open a modal' } }],
      },
    ],
  };
}

/** The modal the button opens: one text input. */
export function feedbackModal(): types.ModalView {
  return {
    type: 'modal',
    callback_id: 'feedback',
    title: { type: 'plain_text', text: 'Feedback' },
    submit: { type: 'plain_text', text: 'Send' },
    blocks: [
      {
        type: 'input',
        block_id: 'feedback',
        label: { type: 'plain_text', text: 'What do you think?' },
        element: { type: 'plain_text_input', action_id: 'text' },
      },
    ],
  };
}
