// The app against slackctl's Slack emulator: a user says hello, runs /hello, opens the App Home, clicks its
// button and submits the modal. Run it with: slackctl emulator exec -- npm test (an emulator started with
// `slackctl emulator start --manifest manifest.json` in another terminal, or `slackctl run --emulator`).
const assert = require('node:assert/strict');
const { after, before, test } = require('node:test');

const EMULATOR = process.env.SLACKCTL_SLACK_URL;
let app;

async function drive(verb, body = {}) {
  const res = await fetch(`${EMULATOR}/_emulator/drive/${verb}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = await res.json();
  assert.ok(answer.ok, `${verb}: ${answer.message || answer.error}`);
  return answer.result;
}

async function eventually(check, what) {
  const deadline = Date.now() + 10000;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

before(async () => {
  assert.ok(EMULATOR, 'run the tests against the emulator: slackctl emulator exec -- npm test');
  ({ app } = require('../app'));
  await app.start();
});

after(async () => {
  await app.stop();
});

test('a message saying hello gets a reply in its thread', async () => {
  const posted = await drive('post', { channel: '#general', text: 'hello there' });
  const reply = await eventually(async () => (await drive('messages', { channel: '#general' }))
    .find((m) => m.thread_ts === posted.ts && m.ts !== posted.ts), 'the reply');
  assert.match(reply.text, /^Hi <@U\w+>! I'm /);
});

test('/hello answers only the caller', async () => {
  await drive('command', { name: '/hello', text: 'Ada', channel: '#general' });
  const shown = await eventually(async () => (await drive('messages', { channel: '#general' }))
    .find((m) => m.text === 'Hello, Ada! :wave:'), 'the answer to /hello');
  assert.equal(shown.ephemeral, true);
});

test('the App Home button opens a modal that can be submitted', async () => {
  await drive('open-home');
  const home = await eventually(async () => (await drive('views')).home, 'the App Home view');
  await drive('click', { action_id: 'open_modal', view: home.id });
  const modal = await eventually(async () => (await drive('views')).modals[0], 'the modal');
  assert.equal(modal.title.text, 'Feedback');
  await drive('submit', { view_id: modal.id, values: { text: 'Nice!' } });
  assert.equal((await drive('views')).modals.length, 0);
});
