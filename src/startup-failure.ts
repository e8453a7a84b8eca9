/**
 * One line that says why a server could not listen and what to do, for the errors a user meets
 * (a port taken by another process, one that needs privileges, an address not on this machine);
 * undefined for anything else, which keeps its stack trace.
 */
export function listenFailure(error: unknown, what: string, portVariable: string): string | undefined {
  if (!(error instanceof Error) || !('code' in error)) return undefined;
  const { address, port } = error as Error & { address?: string; port?: number };
  const where = `${address ?? 'its address'}:${port ?? '?'}`;
  switch (error.code) {
    case 'EADDRINUSE':
      return `${what} cannot listen on ${where}: the port is in use (another gateway or sandbox still running?). Stop that process, or set ${portVariable} to a free port.`;
    case 'EACCES':
      return `${what} cannot listen on ${where}: ports below 1024 need privileges. Set ${portVariable} to 1024 or above.`;
    case 'EADDRNOTAVAIL':
      return `${what} cannot listen on ${where}: the address is not one of this machine's. Check HOST.`;
    default:
      return undefined;
  }
}
