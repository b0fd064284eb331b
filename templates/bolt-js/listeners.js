// What the app says and shows, as plain functions of Slack payloads: no Bolt here, so they are easy to test.

const APP_NAME = '{{ app_name }}';

function section(text) {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

/** The reply to a message that says hello, in the message's thread. */
function helloReply(message) {
  const text = `Hi <@${message.user}>! I'm ${APP_NAME}. Try /hello, or open my App Home.`;
  return { text, thread_ts: message.thread_ts || message.ts, blocks: [section(text)] };
}

/** The answer to `/hello [name]`: only the caller sees it. */
function helloCommand(command) {
  const name = (command.text || '').trim();
  const text = `Hello, ${name || `<@${command.user_id}>`}! :wave:`;
  return { response_type: 'ephemeral', text, blocks: [section(text)] };
}

/** The App Home tab: a greeting and a button that opens a modal. */
function homeView(userId) {
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
function feedbackModal() {
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

module.exports = { APP_NAME, helloReply, helloCommand, homeView, feedbackModal };
