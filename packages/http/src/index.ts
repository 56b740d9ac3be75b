export type { AuthOutcome } from './basic-auth.ts';
export { checkBasicAuth } from './basic-auth.ts';
export type {
  ConnectionLimits,
  HeaderPair,
  HttpExchange,
  RequestHandler,
  ResponseStream,
} from './connection.ts';
export { serveConnection } from './connection.ts';
export { createDashboard } from './dashboard/create-dashboard.ts';
export type {
  Dashboard,
  DashboardApi,
  DashboardOptions,
  DashboardRequest,
  DashboardResponse,
} from './dashboard/types.ts';
export { mountDashboard } from './dashboard-mount.ts';
export type { FollowOptions } from './follow-file.ts';
export { followFile } from './follow-file.ts';
export type { HttpHandler, HttpHandlerOptions, HttpLogger, LogLocator } from './handler.ts';
export { createHttpHandler, defaultWebHandler, viewName } from './handler.ts';
export { errorBody, httpDate, reasonPhrase, unquote } from './http-messages.ts';
export type { RequestHead } from './request-head.ts';
export { parseRequestHead, splitUri } from './request-head.ts';
export type { XmlElement } from './xml-parse.ts';
export { parseXml, XmlError } from './xml-parse.ts';
export type { XmlRpcCall } from './xmlrpc-codec.ts';
export { decodeCall, encodeFault, encodeResponse, XmlRpcEncodeError } from './xmlrpc-codec.ts';
