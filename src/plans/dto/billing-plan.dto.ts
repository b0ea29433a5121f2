import { ApiProperty } from '@nestjs/swagger';
import { CONNECTION_TYPES, type ConnectionType } from '../../database/index.js';

/** A billing plan as the API answers it. */
export class BillingPlanDto {
  @ApiProperty({ example: 1 })
  id!: number;

  @ApiProperty({ example: 'Hotspot Week' })
  name!: string;

  @ApiProperty({ enum: CONNECTION_TYPES, example: 'hotspot' })
  connection_type!: ConnectionType;

  @ApiProperty({ example: '7.99', description: 'Decimal string, two fraction digits' })
  price!: string;

  @ApiProperty({ example: 'USD', description: 'ISO 4217 code' })
  currency!: string;

  @ApiProperty({ example: 7 })
  duration_days!: number;

  @ApiProperty({ example: 15360, nullable: true, type: Number, description: 'null: unlimited' })
  data_limit_mb!: number | null;

  @ApiProperty({ example: 20000 })
  download_kbps!: number;

  @ApiProperty({ example: 5000 })
  upload_kbps!: number;

  @ApiProperty({ example: 1 })
  user_id!: number;

  @ApiProperty({ example: '2026-11-24T10:00:00.000Z' })
  created_at!: string;

  @ApiProperty({ example: '2026-11-24T10:00:00.000Z' })
  updated_at!: string;
}
