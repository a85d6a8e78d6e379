import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

/**
 * Which of `pids` holds the client end of a loopback TCP connection to `serverPort` from `clientPort`: Linux
 * only (/proc). Lets a test server tell which of several daemon processes sent a request, with no help from
 * the daemons. Undefined when none of them holds it (it closed, or another process sent it).
 */
export function clientProcess(
  clientPort: number,
  serverPort: number,
  pids: readonly number[],
): number | undefined {
  const inode = socketInode(clientPort, serverPort);
  if (inode === undefined) return undefined;
  const link = `socket:[${inode}]`;
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // exited
    }
    for (const fd of fds) {
      try {
        if (readlinkSync(`/proc/${pid}/fd/${fd}`) === link) return pid;
      } catch {
        // closed meanwhile
      }
    }
  }
  return undefined;
}

/** The inode of the socket whose local port is `localPort` and remote port `remotePort`. */
function socketInode(localPort: number, remotePort: number): string | undefined {
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
      const fields = line.trim().split(/\s+/);
      const [local, remote, inode] = [fields[1], fields[2], fields[9]];
      if (local === undefined || remote === undefined || inode === undefined || inode === '0') continue;
      if (portOf(local) === localPort && portOf(remote) === remotePort) return inode;
    }
  }
  return undefined;
}

function portOf(address: string): number {
  return parseInt(address.slice(address.lastIndexOf(':') + 1), 16);
}
