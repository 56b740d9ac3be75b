/**
 * Where the transport reports what it sees (connections, protocol errors, handler crashes). Every
 * method is optional; pass supd's main logger, or nothing to stay silent.
 *
 * @example
 * createRpcServer({ api, logger: { warn: (message) => mainLog.warn(message) } });
 */
export interface RpcLogger {
  debug?(message: string): void;
  info?(message: string): void;
  warn?(message: string): void;
  error?(message: string): void;
}
