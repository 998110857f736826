// Drives a running Nexus with the official `openai` package, as any OpenAI client would.
// Usage: node openai-client.mjs <baseURL ending in /v1> <api key> <model> ; prints one JSON object.
import OpenAI from 'openai';

const [baseURL, apiKey, model] = process.argv.slice(2);
const client = new OpenAI({ baseURL, apiKey, maxRetries: 0 });

const out = {};
const models = await client.models.list();
out.models = models.data.map(m => ({ id: m.id, object: m.object, created: m.created, owned_by: m.owned_by }));

const first = await client.chat.completions.create({
  model, user: 'node-user', messages: [{ role: 'system', content: 'ignored' }, { role: 'user', content: 'My name is Ada and I like Lisbon.' }],
});
out.chat = { id: first.id, object: first.object, model: first.model, content: first.choices[0].message.content,
  role: first.choices[0].message.role, finish: first.choices[0].finish_reason, usage: first.usage,
  conversation: first.nexus.conversation };

const stream = await client.chat.completions.create({
  model, user: 'node-user', stream: true, stream_options: { include_usage: true },
  messages: [{ role: 'user', content: 'My name is Ada and I like Lisbon.' },
             { role: 'assistant', content: first.choices[0].message.content },
             { role: 'user', content: 'What do you remember about me?' }],
});
const chunks = [];
let text = '';
let nexus = {};
for await (const chunk of stream) {
  if (chunk.nexus) nexus = chunk.nexus;
  chunks.push({ object: chunk.object, id: chunk.id, choices: chunk.choices.map(c => ({ delta: c.delta, finish: c.finish_reason })), usage: chunk.usage ?? null });
  for (const choice of chunk.choices) text += choice.delta?.content ?? '';
}
out.stream = { text, chunks, conversation: nexus.conversation, message: nexus.message };

try {
  await client.chat.completions.create({ model: 'no-such-personality', messages: [{ role: 'user', content: 'hi' }] });
  out.error = null;
} catch (e) {
  out.error = { status: e.status, type: e.type, code: e.code, param: e.param, message: e.message };
}
console.log(JSON.stringify(out));
