import { PartialType } from '@nestjs/swagger';
import { CreateBillingPlanDto } from './create-billing-plan.dto.js';

/** Any subset of the fields; `null` is refused except for `data_limit_mb` (unlimited). */
export class UpdateBillingPlanDto extends PartialType(CreateBillingPlanDto, { skipNullProperties: false }) {}
