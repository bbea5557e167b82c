import { describeHostileInput } from '../../common/testing/bad-input';
import { contracts } from '.';

describeHostileInput('resource-billing', contracts);
