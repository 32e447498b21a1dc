// How long a password login spends hashing: scrypt with the parameters of src/kernel/identity/password.ts.
import { hashPassword, verifyPassword } from '../dist/kernel/identity/password.js';

export async function passwordHashingLine(runs = 10) {
  const hash = await hashPassword('a demo password of decent length');
  const times = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await verifyPassword('a demo password of decent length', hash);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  return `- Password hashing per login (scrypt N=2^15, r=8, p=3, verify): median **${median.toFixed(0)} ms** of ${runs} (min ${times[0].toFixed(0)}, max ${times.at(-1).toFixed(0)} ms), on one core`;
}
