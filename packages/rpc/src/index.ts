export type { AuthConfig } from './auth.ts';
export { checkCredentials } from './auth.ts';
export type {
  ClientState,
  ConnectOptions,
  ReconnectOptions,
  RpcClient,
  ServerInfo,
  StreamOptions,
} from './client.ts';
export { connect } from './client.ts';
export type { RpcStream } from './client-stream.ts';
export { cacheEncoding, decodeFrameBody, encodeFrame, FrameDecoder } from './codec.ts';
export type {
  ApiImplementation,
  ConcreteTypesOf,
  ConfigInfo,
  EventsDropped,
  EventsOfTypes,
  ImplementedMethodName,
  LogChunk,
  MethodName,
  MethodParams,
  MethodResult,
  MulticallCall,
  MulticallResult,
  ProcessInfo,
  ProcessStatusResult,
  ReloadResult,
  StateInfo,
  StreamContext,
  StreamItem,
  StreamMethodName,
  StreamMethods,
  StreamParams,
  SubscribeFilter,
  SupervisorMethods,
  TailOptions,
  TailResult,
} from './contract.ts';
export { METHOD_ALIASES } from './contract.ts';
export type { Dispatcher, DispatcherOptions } from './dispatcher.ts';
export { createDispatcher } from './dispatcher.ts';
export type { FaultCode, FaultName, FaultStruct, WireError } from './faults.ts';
export { FAULTS, Fault, faultName, isFaultName } from './faults.ts';
export type { RpcLogger } from './logger.ts';
export type { MethodSpec, ParamKind, ParamSpec } from './method-table.ts';
export { isMethodName, isStreamMethodName, METHOD_NAMES, METHOD_TABLE } from './method-table.ts';
export type { ProtocolErrorName } from './protocol.ts';
export {
  DEFAULT_CLIENT_MAX_FRAME_BYTES,
  DEFAULT_HEARTBEAT_MS,
  DEFAULT_SERVER_MAX_FRAME_BYTES,
  isNativeHandshake,
  NATIVE_MAGIC,
  PROTOCOL_ERRORS,
  PROTOCOL_VERSION,
  RpcProtocolError,
  sniffProtocol,
} from './protocol.ts';
export type { PushStream, PushStreamOptions } from './push-stream.ts';
export { createPushStream } from './push-stream.ts';
export type { ListenAddress, RpcServer, RpcServerOptions } from './server.ts';
export { createRpcServer, MAX_STREAMS_PER_CONNECTION } from './server.ts';
export type { ServerAddress } from './server-url.ts';
export { parseServerUrl } from './server-url.ts';
export { matchesSubscribeFilter } from './subscribe-filter.ts';
