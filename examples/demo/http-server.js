// Demo program: a tiny HTTP server that answers with its pid and uptime.
import { createServer } from 'node:http';

const port = Number(process.argv[2] ?? 8917);
const started = Date.now();
createServer((_req, res) => {
  res.end(`hello from pid ${process.pid}, up ${Math.round((Date.now() - started) / 1000)}s\n`);
}).listen(port, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${port}`));
process.on('SIGINT', () => process.exit(0));
