// Test-only preload (node --import): every write into ORCHESTRATE_TEST_ENOSPC_DIR fails with
// ENOSPC once ORCHESTRATE_TEST_ENOSPC_AFTER bytes have been written there, as on a full disk.
// It patches node:fs at its boundary (fs.promises open/writeFile/appendFile and the sync
// writers), then syncs the ES module bindings, so orchestrate's own code runs unchanged.
import fs from 'node:fs';
import path from 'node:path';
import { syncBuiltinESMExports } from 'node:module';

const dir = process.env.ORCHESTRATE_TEST_ENOSPC_DIR;
if (dir) {
  const root = path.resolve(dir);
  let budget = Number(process.env.ORCHESTRATE_TEST_ENOSPC_AFTER ?? '0');
  const inside = (file) => typeof file === 'string' && (path.resolve(file) === root || path.resolve(file).startsWith(`${root}${path.sep}`));
  const size = (data) => (typeof data === 'string' ? Buffer.byteLength(data) : (data?.byteLength ?? 0));
  const spend = (file, data) => {
    budget -= size(data);
    if (budget < 0) {
      const error = new Error(`ENOSPC: no space left on device, write '${file}'`);
      Object.assign(error, { code: 'ENOSPC', errno: -28, syscall: 'write', path: file });
      throw error;
    }
  };
  const p = fs.promises;
  const { open, writeFile, appendFile } = p;
  p.open = async (file, ...rest) => {
    const handle = await open(file, ...rest);
    if (!inside(file)) return handle;
    const write = handle.write.bind(handle);
    const whole = handle.writeFile.bind(handle);
    handle.write = async (data, ...more) => (spend(file, data), write(data, ...more));
    handle.writeFile = async (data, ...more) => (spend(file, data), whole(data, ...more));
    return handle;
  };
  p.writeFile = async (file, data, ...rest) => (inside(file) && spend(file, data), writeFile(file, data, ...rest));
  p.appendFile = async (file, data, ...rest) => (inside(file) && spend(file, data), appendFile(file, data, ...rest));
  const { writeFileSync, appendFileSync } = fs;
  fs.writeFileSync = (file, data, ...rest) => (inside(file) && spend(file, data), writeFileSync(file, data, ...rest));
  fs.appendFileSync = (file, data, ...rest) => (inside(file) && spend(file, data), appendFileSync(file, data, ...rest));
  // The journal writes through a file descriptor.
  const fds = new Map();
  const { openSync, writeSync, write: writeCallback, closeSync } = fs;
  fs.openSync = (file, ...rest) => {
    const fd = openSync(file, ...rest);
    if (inside(file)) fds.set(fd, file);
    return fd;
  };
  fs.closeSync = (fd) => (fds.delete(fd), closeSync(fd));
  fs.writeSync = (fd, data, ...rest) => (fds.has(fd) && spend(fds.get(fd), data), writeSync(fd, data, ...rest));
  fs.write = (fd, data, ...rest) => {
    if (fds.has(fd)) {
      try {
        spend(fds.get(fd), data);
      } catch (error) {
        const callback = rest.findLast((arg) => typeof arg === 'function');
        return process.nextTick(() => callback(error));
      }
    }
    return writeCallback(fd, data, ...rest);
  };
  syncBuiltinESMExports();
}
