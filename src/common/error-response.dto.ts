import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The shape of every error answer. */
export class ErrorResponseDto {
  @ApiProperty({ example: 400 })
  statusCode!: number;

  @ApiProperty({ example: 'Bad Request' })
  error!: string;

  @ApiProperty({ example: 'price must be a non-negative decimal with at most 2 fraction digits, such as "9.99"' })
  message!: string;

  @ApiPropertyOptional({
    description: 'On a 400 for wrong fields: each wrong field with its message',
    example: { price: 'price must be a non-negative decimal with at most 2 fraction digits, such as "9.99"' },
    type: 'object',
    additionalProperties: { type: 'string' },
  })
  fields?: Record<string, string>;
}
