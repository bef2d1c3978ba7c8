import { approvalCommand } from './approval-command.js';

export const command = approvalCommand('approved');
