/** Wires index.html's button to bench.js and prints the result as JSON (manual use). */
import { run } from './bench.js';

const out = document.getElementById('out');
const query = new URLSearchParams(location.search);

document.getElementById('run').addEventListener('click', async () => {
  out.textContent = 'running...';
  try {
    const result = await run({
      messages: Number(query.get('messages') ?? 5000),
      turns: query.get('turns') === '1',
    });
    out.textContent = JSON.stringify(result, null, 2);
  } catch (e) {
    out.textContent = `failed: ${e}`;
  }
});
