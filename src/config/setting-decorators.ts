import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsNumber, IsOptional, IsString, Max, Min } from 'class-validator';

/** Environment values arrive as strings; an empty string means "not set". */
const toNumber = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && value.trim() !== '' ? Number(value) : value;

const toBoolean = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  const normalized = value.trim().toLowerCase();
  if (normalized === '') return undefined;
  if (['true', '1', 'yes', 'on'].includes(normalized)) return true;
  if (['false', '0', 'no', 'off'].includes(normalized)) return false;
  return value;
};

/** An empty string is "not set". */
export const emptyToUndefined = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

const bounds = (min: number, max?: number): PropertyDecorator[] => [Min(min), ...(max === undefined ? [] : [Max(max)])];

/** A whole number from `min` to `max` (no upper bound without one). */
export const IntSetting = (min: number, max?: number): PropertyDecorator =>
  applyDecorators(Transform(toNumber), IsInt(), ...bounds(min, max));

/** The same, and the variable may be left unset. */
export const OptionalIntSetting = (min: number, max?: number): PropertyDecorator =>
  applyDecorators(Transform(toNumber), IsOptional(), IsInt(), ...bounds(min, max));

/** A finite number from `min` to `max`. */
export const NumberSetting = (min: number, max?: number): PropertyDecorator =>
  applyDecorators(Transform(toNumber), IsNumber({ allowNaN: false, allowInfinity: false }), ...bounds(min, max));

/** true/false, 1/0, yes/no, on/off, in any case. */
export const BooleanSetting = (): PropertyDecorator => applyDecorators(Transform(toBoolean), IsBoolean());

/** The same, and the variable may be left unset. */
export const OptionalBooleanSetting = (): PropertyDecorator =>
  applyDecorators(Transform(toBoolean), IsOptional(), IsBoolean());

/** Text that may be left unset (an empty value is unset). */
export const OptionalStringSetting = (): PropertyDecorator =>
  applyDecorators(Transform(emptyToUndefined), IsOptional(), IsString());
