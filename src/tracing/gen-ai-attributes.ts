/**
 * OpenTelemetry GenAI semantic conventions (incubating, so copied here as the conventions advise
 * rather than imported from the incubating entry point, whose names may still change).
 */
export const GenAi = {
  operationName: 'gen_ai.operation.name',
  providerName: 'gen_ai.provider.name',
  requestModel: 'gen_ai.request.model',
  requestMaxTokens: 'gen_ai.request.max_tokens',
  inputTokens: 'gen_ai.usage.input_tokens',
  outputTokens: 'gen_ai.usage.output_tokens',
  finishReasons: 'gen_ai.response.finish_reasons',
} as const;

/** `{operation} {model}`, the span name the conventions give a model call. */
export const genAiSpanName = (operation: string, model: string): string => `${operation} ${model}`;
