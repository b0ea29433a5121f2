import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { AdminOnly, PublicAnswerInterceptor, ErrorResponseDto, stringHeader } from '../common/index.js';
import { CacheResponse } from '../plan-cache/index.js';
import { AnonymousListLoads } from './cache/anonymous-list-loads.guard.js';
import { BillingListKeys } from './cache/billing-list-keys.js';
import { BillingPlanLists } from './cache/billing-plan-lists.js';
import { BillingPlanIdParam } from './dto/billing-plan-id.param.js';
import { BillingPlanDto } from './dto/billing-plan.dto.js';
import { CreateBillingPlanDto } from './dto/create-billing-plan.dto.js';
import { ListBillingPlansQuery } from './dto/list-billing-plans.query.js';
import { UpdateBillingPlanDto } from './dto/update-billing-plan.dto.js';
import { BillingPlansService } from './billing-plans.service.js';

const HTTP_CACHING_HEADERS = {
  ETag: stringHeader('Strong entity tag of the bytes sent; send it back in If-None-Match for a 304'),
  'Cache-Control': stringHeader('public, max-age=HTTP_MAX_AGE, stale-while-revalidate=HTTP_STALE_WHILE_REVALIDATE'),
  'X-Content-Type-Options': stringHeader('nosniff'),
};

@ApiTags('billing plans')
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'The input is not valid; the message names the field' })
@Controller('api/plans')
export class PlansController {
  constructor(private readonly plans: BillingPlansService) {}

  @Get()
  @CacheResponse({ namespace: BillingPlanLists, key: BillingListKeys.forQuery })
  @UseGuards(AnonymousListLoads)
  @ApiOperation({ summary: 'List billing plans (cached)' })
  @ApiOkResponse({
    type: [BillingPlanDto],
    headers: {
      'X-Cache': stringHeader('HIT or MISS'),
      ...HTTP_CACHING_HEADERS,
    },
  })
  @ApiTooManyRequestsResponse({
    type: ErrorResponseDto,
    description:
      'An anonymous address (an IPv6 /64) asked for more uncached lists than LIMIT_ANONYMOUS_LIST_LOADS_PER_MINUTE; cached lists are still served',
    headers: { 'Retry-After': stringHeader('Seconds until the budget allows another uncached list') },
  })
  list(@Query() query: ListBillingPlansQuery): Promise<BillingPlanDto[]> {
    return this.plans.list({ userId: query.user_id, connectionType: query.connection_type });
  }

  @Get(':id')
  @UseInterceptors(PublicAnswerInterceptor)
  @ApiOperation({ summary: 'One billing plan' })
  @ApiOkResponse({ type: BillingPlanDto, headers: HTTP_CACHING_HEADERS })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No plan has this id' })
  get(@Param() { id }: BillingPlanIdParam): Promise<BillingPlanDto> {
    return this.plans.get(id);
  }

  /** `POST /api/plans/create` is the older path, kept for existing clients. */
  @Post(['', 'create'])
  @AdminOnly()
  @ApiOperation({ summary: 'Create a billing plan' })
  @ApiCreatedResponse({ type: BillingPlanDto })
  create(@Body() body: CreateBillingPlanDto): Promise<BillingPlanDto> {
    return this.plans.create(body);
  }

  @Patch(':id')
  @AdminOnly()
  @ApiOperation({ summary: 'Change some fields of a billing plan' })
  @ApiOkResponse({ type: BillingPlanDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No plan has this id' })
  update(@Param() { id }: BillingPlanIdParam, @Body() body: UpdateBillingPlanDto): Promise<BillingPlanDto> {
    return this.plans.update(id, body);
  }

  @Delete(':id')
  @AdminOnly()
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a billing plan' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No plan has this id' })
  async remove(@Param() { id }: BillingPlanIdParam): Promise<void> {
    await this.plans.remove(id);
  }
}
