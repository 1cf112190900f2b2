// The Status that ends an exec or attach (channel 3 of v5 WebSocket, the error stream of
// SPDY v4). kubectl turns NonZeroExitCode + an ExitCode cause into its own exit code.

export interface ExecStatus {
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: { causes: { reason?: string; message: string }[] };
  code?: number;
}

export function successStatus(): ExecStatus {
  return { metadata: {}, status: 'Success' };
}

export function exitCodeStatus(exitCode: number, argv: string[]): ExecStatus {
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: command '${argv.join(' ')}' exited with ${exitCode}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(exitCode) }] },
  };
}

/** kubectl prints `error: Internal error occurred: <message>`. */
export function internalErrorStatus(message: string): ExecStatus {
  return {
    metadata: {},
    status: 'Failure',
    message: `Internal error occurred: ${message}`,
    reason: 'InternalError',
    details: { causes: [{ message }] },
    code: 500,
  };
}

export function statusFromExit(exitCode: number, argv: string[]): ExecStatus {
  return exitCode === 0 ? successStatus() : exitCodeStatus(exitCode, argv);
}
