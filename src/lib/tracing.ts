import { context, propagation, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';

/*
 * OpenTelemetry traces, when OTEL_EXPORTER_OTLP_ENDPOINT is set: the official SDK exports spans
 * over OTLP/HTTP (its standard OTEL_* variables apply: headers, service name, sampler, batch
 * delay). Code starts spans through the OpenTelemetry API's global tracer, which is a no-op until
 * `startTracing` registers a provider — the API's own design, so a process without the variable
 * loads no SDK and pays next to nothing.
 */

const tracer = () => trace.getTracer('clinicbox');
let enabled = false;

/** Is a provider registered (else spans are not even started)? */
export const tracing = (): boolean => enabled;

export interface Tracing {
  /** Exports what is pending and stops (at shutdown). */
  stop(): Promise<void>;
}

/** Registers the SDK when the environment names an OTLP endpoint; null otherwise. */
export async function startTracing(
  env: NodeJS.ProcessEnv,
  service: { name: string; version: string },
): Promise<Tracing | null> {
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT && !env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return null;
  const [sdk, { OTLPTraceExporter }, { resourceFromAttributes }, core, hooks] = await Promise.all([
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/core'),
    import('@opentelemetry/context-async-hooks'),
  ]);
  const provider = new sdk.BasicTracerProvider({
    resource: resourceFromAttributes({
      'service.name': env.OTEL_SERVICE_NAME || service.name,
      'service.version': service.version,
    }),
    spanProcessors: [new sdk.BatchSpanProcessor(new OTLPTraceExporter())],
  });
  const contextManager = new hooks.AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(new core.W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  enabled = true;
  return {
    async stop() {
      enabled = false;
      await provider.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}

/**
 * Runs `fn` in a server span continuing the caller's trace (its `traceparent` header), named
 * later by `fn` once the route is known.
 */
export async function inServerSpan<T>(
  headers: (name: string) => string | undefined,
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  const parent = propagation.extract(context.active(), headers, {
    get: (carrier, key) => carrier(key),
    keys: () => ['traceparent', 'tracestate'],
  });
  return tracer().startActiveSpan('HTTP', { kind: SpanKind.SERVER }, parent, (span) => ended(span, fn));
}

/** Runs `fn` in a span of its own (a job's run), a child of whatever span is active. */
export function inSpan<T>(
  name: string,
  attributes: Record<string, string | number>,
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  return tracer().startActiveSpan(name, { kind: SpanKind.CONSUMER, attributes }, (span) => ended(span, fn));
}

async function ended<T>(span: Span, fn: (span: Span) => Promise<T>): Promise<T> {
  try {
    return await fn(span);
  } catch (e) {
    span.recordException(e as Error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: (e as Error).message });
    throw e;
  } finally {
    span.end();
  }
}
