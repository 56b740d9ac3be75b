export { decodeEventData, pythonBytesRepr } from './decode-data.ts';
export type {
  EventDelivery,
  EventEnvelopeOptions,
  EventHeader,
  EventHeaderOptions,
} from './envelope.ts';
export {
  countCodePoints,
  EVENT_PROTOCOL_VERSION,
  formatEventEnvelope,
  formatEventHeader,
  parseEventHeader,
} from './envelope.ts';
export type { ReceivedEnvelope } from './envelope-parser.ts';
export { EventEnvelopeParser } from './envelope-parser.ts';
export type { AbstractEventTypeName, ConcreteEventTypeName, EventTypeName } from './event-types.ts';
export {
  CONCRETE_EVENT_TYPE_NAMES,
  concreteSubtypes,
  EVENT_TYPE_NAMES,
  EVENT_TYPES,
  eventTypeAncestors,
  isConcreteEventType,
  isEventType,
  isSubtypeOf,
  parseEventTypeName,
} from './event-types.ts';
export type {
  EventOfType,
  ProcessCommunicationEvent,
  ProcessGroupEvent,
  ProcessLogEvent,
  ProcessStateBackoffEvent,
  ProcessStateEvent,
  ProcessStateEventType,
  ProcessStateExitedEvent,
  ProcessStateFatalEvent,
  ProcessStateRunningEvent,
  ProcessStateStartingEvent,
  ProcessStateStoppedEvent,
  ProcessStateStoppingEvent,
  ProcessStateUnknownEvent,
  RemoteCommunicationEvent,
  SupervisorEvent,
  SupervisorStateChangeEvent,
  TickEvent,
} from './events.ts';
export { processStateEventType, TICK_PERIODS, tickWhen } from './events.ts';
export { formatEventPayload } from './format-payload.ts';
export { formatListenerResult, LISTENER_READY } from './listener-messages.ts';
export type {
  ListenerOutput,
  ListenerOutputParserOptions,
  ListenerViolation,
  ResultHandler,
  ResultVerdict,
} from './listener-output-parser.ts';
export {
  defaultResultHandler,
  LISTENER_UNKNOWN_WARNING,
  ListenerOutputParser,
} from './listener-output-parser.ts';
export type { EventListenerStateCode, EventListenerStateName } from './listener-states.ts';
export { EVENT_LISTENER_STATES, eventListenerStateName } from './listener-states.ts';
export { parseEventPayload } from './parse-payload.ts';
export type {
  ProcessStateCode,
  ProcessStateName,
  RunningStateName,
  SignallableStateName,
  StoppedStateName,
} from './process-states.ts';
export {
  isProcessStateName,
  isRunningState,
  isSignallableState,
  isStoppedState,
  PROCESS_STATE_NAMES,
  PROCESS_STATES,
  processStateName,
  RUNNING_STATES,
  SIGNALLABLE_STATES,
  STOPPED_STATES,
} from './process-states.ts';
export { EventProtocolError } from './protocol-error.ts';
export type { SupervisorStateCode, SupervisorStateName } from './supervisor-states.ts';
export { SUPERVISOR_STATES, supervisorStateName } from './supervisor-states.ts';
export { formatTokenLine, parseTokenLine } from './token-line.ts';
