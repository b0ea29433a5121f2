import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { CONNECTION_TYPES, type ConnectionType } from '../../database/index.js';

const toInteger = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?[0-9]+$/.test(value) ? Number(value) : value;

export class ListBillingPlansQuery {
  @ApiPropertyOptional({ example: 1, description: "Only this user's plans" })
  @IsOptional()
  @Transform(toInteger)
  @Min(1, { message: 'user_id must be a positive integer' })
  @Max(2_147_483_647)
  @IsInt({ message: 'user_id must be a positive integer' })
  user_id?: number;

  @ApiPropertyOptional({ enum: CONNECTION_TYPES })
  @IsOptional()
  @IsIn(CONNECTION_TYPES, { message: `connection_type must be one of: ${CONNECTION_TYPES.join(', ')}` })
  connection_type?: ConnectionType;
}
