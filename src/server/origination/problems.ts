import { ProblemError } from '../http/problem.js';

export const applicationNotFound = (id: string) =>
  new ProblemError(
    'application_not_found',
    `There is no application ${id}; check the id from POST /applications.`,
    [{ path: '/path/applicationId', message: 'no such application' }],
  );
export const decisionNotFound = (id: string) =>
  new ProblemError(
    'decision_not_found',
    `There is no decision ${id}; check the id from POST /applications.`,
    [{ path: '/path/decisionId', message: 'no such decision' }],
  );

export const policyNotPublished = (productId: string) =>
  new ProblemError(
    'policy_not_published',
    `No policy is in force for product "${productId}"; publish one (POST /policies, approve, publish) or apply for a product that has one.`,
    [{ path: '/body/productId', message: 'no policy in force for this product' }],
  );
