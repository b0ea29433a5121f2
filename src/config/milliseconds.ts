/**
 * The environment and the experiment file give durations in seconds; inside the service every
 * duration is in milliseconds, converted here, where configuration is read.
 */
export const millisecondsOf = (seconds: number): number => seconds * 1000;
