import { describe, expect, it } from 'vitest';
import { PHASES, inPipelineOrder } from './extension.ts';
import type { Extension, Phase } from './extension.ts';

const ext = (name: string, phase: Phase): Extension => ({ name, phase });

describe('the relay pipeline', () => {
  it('PIPE-1: extensions run by phase, in the order given within a phase, whatever order they are listed in', () => {
    const listed = [
      ext('logging', 'observe'),
      ext('workflow', 'workflow'),
      ext('stamping', 'stamp'),
      ext('guard', 'inspect'),
      ext('access', 'authorize'),
      ext('closure', 'inspect'),
      ext('auth', 'authenticate'),
    ];
    expect(inPipelineOrder(listed).map((x) => x.name)).toEqual([
      'auth',
      'access',
      'guard',
      'closure',
      'stamping',
      'workflow',
      'logging',
    ]);
    // Stamping comes before the workflow, which reads stamps.
    expect(PHASES.indexOf('stamp')).toBeLessThan(PHASES.indexOf('workflow'));
  });
});
