import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

export class BillingPlanIdParam {
  @ApiProperty({ example: 1 })
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^[0-9]{1,10}$/.test(value) ? Number(value) : value,
  )
  @Min(1, { message: 'id must be a positive integer' })
  @Max(2_147_483_647, { message: 'id must be a positive integer' })
  @IsInt({ message: 'id must be a positive integer' })
  id!: number;
}
