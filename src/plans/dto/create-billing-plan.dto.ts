import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { CONNECTION_TYPES, type ConnectionType } from '../../database/index.js';

const MAX_SPEED_KBPS = 100_000_000;
const PRICE = /^(0|[1-9][0-9]{0,9})(\.[0-9]{1,2})?$/;

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);
/** A finite JSON number is accepted as a price too, and kept as its decimal text. */
const priceText = ({ value }: { value: unknown }): unknown =>
  typeof value === 'number' && Number.isFinite(value) ? String(value) : value;

export class CreateBillingPlanDto {
  @ApiProperty({ example: 'Hotspot Week', minLength: 1, maxLength: 100 })
  @Transform(trim)
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(100)
  @IsString()
  name!: string;

  @ApiProperty({ enum: CONNECTION_TYPES, example: 'hotspot' })
  @IsIn(CONNECTION_TYPES, { message: `connection_type must be one of: ${CONNECTION_TYPES.join(', ')}` })
  connection_type!: ConnectionType;

  @ApiProperty({ example: '7.99', description: 'Non-negative decimal, at most two fraction digits' })
  @Transform(priceText)
  @Matches(PRICE, { message: 'price must be a non-negative decimal with at most 2 fraction digits, such as "9.99"' })
  @IsString({ message: 'price must be a decimal string such as "9.99"' })
  price!: string;

  @ApiPropertyOptional({ example: 'USD', default: 'USD', description: 'ISO 4217 code' })
  @IsOptional()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be a three-letter ISO 4217 code such as "USD"' })
  currency?: string;

  @ApiProperty({ example: 7, minimum: 1, maximum: 3650 })
  @Min(1)
  @Max(3650)
  @IsInt()
  duration_days!: number;

  @ApiPropertyOptional({ example: 15360, nullable: true, type: Number, description: 'null or absent: unlimited' })
  @IsOptional()
  @Min(1)
  @Max(2_000_000_000)
  @IsInt()
  data_limit_mb?: number | null;

  @ApiProperty({ example: 20000, minimum: 1 })
  @Min(1)
  @Max(MAX_SPEED_KBPS)
  @IsInt()
  download_kbps!: number;

  @ApiProperty({ example: 5000, minimum: 1 })
  @Min(1)
  @Max(MAX_SPEED_KBPS)
  @IsInt()
  upload_kbps!: number;

  @ApiProperty({ example: 1, minimum: 1 })
  @Min(1)
  @Max(2_147_483_647)
  @IsInt()
  user_id!: number;
}
