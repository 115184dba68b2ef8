// Preloaded into a CLI run by bench/run.mjs: reports the process's peak RSS on stderr as it exits.
'use strict';
process.on('exit', () => {
  process.stderr.write(`\nNOTESENSE_BENCH_MAXRSS_KB ${process.resourceUsage().maxRSS}\n`);
});
