import { BadRequestException, NotFoundException } from '@nestjs/common';
import { toErrorBody } from './http-exception.filter.js';

describe('toErrorBody', () => {
  it('keeps the status and message of HTTP exceptions', () => {
    expect(toErrorBody(new NotFoundException('Billing plan 9 does not exist'))).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'Billing plan 9 does not exist',
    });
  });

  it('joins validation messages into one', () => {
    expect(toErrorBody(new BadRequestException(['name must not be empty', 'price must be a decimal'])).message).toBe(
      'name must not be empty; price must be a decimal',
    );
  });

  it("keeps the 4xx status of Fastify's own errors", () => {
    expect(
      toErrorBody({ statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE', message: 'Request body is too large' }),
    ).toEqual({ statusCode: 413, error: 'Payload Too Large', message: 'Request body is too large' });
  });

  it('hides the details of anything else behind a 500', () => {
    expect(toErrorBody(new Error('connection string postgres://secret@db'))).toEqual({
      statusCode: 500,
      error: 'Internal Server Error',
      message: 'Internal server error',
    });
  });
});
