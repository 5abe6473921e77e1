/** Small fixtures for tests of the core package (exported for tests only, not part of index.ts). */
import type { Actor, PostRef } from './schema.ts';

export const officerA: Actor = { personId: 'p-a', name: 'Officer A (fictional)' };
export const officerB: Actor = { personId: 'p-b', name: 'Officer B (fictional)' };

export const managementPost: PostRef = {
  id: 'post-mgmt',
  name: '协同管理岗',
  unitId: 'unit-sub',
  unitName: '演示分局',
  kind: 'management',
};

export const supportPost: PostRef = {
  id: 'post-cid',
  name: '刑警大队协同支撑岗',
  unitId: 'unit-cid',
  unitName: '刑警大队',
  kind: 'support',
};
