// Demo program: does "work" every second and crashes every CRASH_EVERY ticks (exit 3).
const name = process.env.WORKER_NAME ?? `worker-${process.argv[2] ?? 0}`;
const crashEvery = Number(process.env.CRASH_EVERY ?? 7);
let ticks = 0;
setInterval(() => {
  ticks += 1;
  console.log(`${name}: job ${ticks} done`);
  if (ticks % crashEvery === 0) {
    console.error(`${name}: simulated crash`);
    process.exit(3);
  }
}, 1000);
