// Bolt wiring: connects the functions of listeners.ts to Slack over Socket Mode (no public URL needed).
import { App, LogLevel } from '@slack/bolt';
import * as listeners from './listeners';

export const app = new App({
  token: process.env.SLACK_BOT_TOKEN,
  appToken: process.env.SLACK_APP_TOKEN,
  socketMode: true,
  logLevel: (process.env.LOG_LEVEL as LogLevel | undefined) ?? LogLevel.INFO,
  // Slack's own samples read SLACK_API_URL; `slackctl run --emulator` sets it to the emulator's.
  ...(process.env.SLACK_API_URL ? { clientOptions: { slackApiUrl: process.env.SLACK_API_URL } } : {}),
});

app.message(/hello/i, async ({ message, say }) => {
  if (message.subtype === undefined) {
    await say(listeners.helloReply(message));
  }
});

app.command('/hello', async ({ ack, command, respond }) => {
  // Slack wants an acknowledgement within 3 seconds; the answer follows through the response URL.
  await ack();
  await respond(listeners.helloCommand(command));
});

app.event('app_home_opened', async ({ event, client }) => {
  await client.views.publish({ user_id: event.user, view: listeners.homeView(event.user) });
});

app.action('open_modal', async ({ ack, body, client }) => {
  await ack();
  if ('trigger_id' in body) {
    await client.views.open({ trigger_id: body.trigger_id, view: listeners.feedbackModal() });
  }
});

app.view('feedback', async ({ ack, view, body, logger }) => {
  await ack();
  logger.info(`feedback from ${body.user.id}: ${view.state.values.feedback.text.value}`);
});

if (require.main === module) {
  (async () => {
    await app.start();
    app.logger.info(`${listeners.APP_NAME} is running (Socket Mode)`);
  })();
}
