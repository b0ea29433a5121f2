import { applyDecorators, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { AdminTokenGuard } from './admin-token.guard.js';
import { ErrorResponseDto } from './error-response.dto.js';

/** The route needs the admin bearer token; documented as such in OpenAPI. */
export const AdminOnly = (): MethodDecorator & ClassDecorator =>
  applyDecorators(
    UseGuards(AdminTokenGuard),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'No bearer token was sent' }),
    ApiForbiddenResponse({ type: ErrorResponseDto, description: 'The token is wrong, or ADMIN_TOKEN is not set' }),
  );
