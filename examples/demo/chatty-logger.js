// Demo program: writes a line to stdout every 200 ms and a warning to stderr every 2 s.
let n = 0;
setInterval(() => {
  n += 1;
  console.log(`chatty: line ${n} at ${new Date().toISOString()}`);
  if (n % 10 === 0) console.error(`chatty: warning ${n / 10}`);
}, 200);
