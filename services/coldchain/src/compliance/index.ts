/** Compliance as the rest of coldchain uses it: the tracker revises records when readings land. */
export { createComplianceReviser, complianceCustodyListener, type ComplianceReviser } from './revise-compliance.js';
export { compliancePorts, type CompliancePorts } from './ports.js';
