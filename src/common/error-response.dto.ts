import { ApiProperty } from '@nestjs/swagger';

/** The shape of every error answer. */
export class ErrorResponseDto {
  @ApiProperty({ example: 400 })
  statusCode!: number;

  @ApiProperty({ example: 'Bad Request' })
  error!: string;

  @ApiProperty({ example: 'price must be a non-negative decimal with at most 2 fraction digits, such as "9.99"' })
  message!: string;
}
