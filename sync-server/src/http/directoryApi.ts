/**
 * Directory routes of the API: `GET /api/directory`, `POST /api/duty`, `GET /api/templates`, and the person as
 * login and `/api/me` show them (postIds: the posts the person is on duty at now).
 */
import { directoryScope } from '@muster/core';
import type { GroupTemplate } from '@muster/core';
import type { DirectoryResponse, DutyResponse, Person, TemplatesResponse } from '@muster/protocol';
import { HttpError, ReadAction } from '@muster/protocol';
import { AuditAction } from '../audit/auditor.ts';
import type { Auditor } from '../audit/auditor.ts';
import type { Clock } from '../clock.ts';
import type { DirectoryService } from '../directory/directoryService.ts';
import { errorText } from '../log.ts';
import type { Logger } from '../log.ts';
import type { PersonRecord, Store } from '../store/store.ts';
import { readJsonBody } from './body.ts';
import { sendJson } from './respond.ts';
import { bodyObject } from './router.ts';
import type { Authenticate, Handler, Routes } from './router.ts';

export interface DirectoryApiDeps {
  store: Store;
  clock: Clock;
  log: Logger;
  directory: DirectoryService;
  templates: readonly GroupTemplate[];
  maxBodyBytes: number;
  /** AUDIT-5: directory reads are audited (`directory-read`), and duty changes. */
  audit: Auditor;
  /** INBOX-4: run after a person goes on duty at a post (delivers the post's open invitations to their inbox). */
  onDutyStarted?: (personId: string, postId: string) => Promise<void>;
}

/** The person as the app sees them: `postIds` = posts on duty at now, `heldPostIds` = posts held. */
export async function personView(store: Store, p: PersonRecord): Promise<Person> {
  const onDuty = (await store.getDirectory()).onDuty.filter((d) => d.personId === p.id).map((d) => d.postId);
  return {
    id: p.id,
    name: p.name,
    policeNo: p.policeNo,
    unitId: p.unitId,
    roles: p.roles,
    postIds: onDuty,
    heldPostIds: p.postIds,
  };
}

export function directoryRoutes(deps: DirectoryApiDeps, authenticate: Authenticate): Routes {
  const { store, clock, log } = deps;

  const directory: Handler = async (req, res) => {
    const claims = await authenticate(req);
    const [d, persons] = await Promise.all([store.getDirectory(), store.listPersons()]);
    // DIR-6: every unit and post (what may be invited or sent a clue); the persons and duty rows of other units only
    // for desks, leaders and read-only roles (policy `directoryScope`).
    const scope = directoryScope(
      { personId: claims.sub, unitId: claims.unitId, roles: claims.roles },
      deps.directory.current,
    );
    const wide = scope.persons === 'all';
    const ownUnitPosts = new Set(d.posts.filter((p) => p.unitId === claims.unitId).map((p) => p.id));
    const out: DirectoryResponse = {
      units: d.units,
      posts: d.posts,
      persons: persons
        .filter((p) => wide || p.unitId === claims.unitId || p.id === claims.sub)
        .map((p) => ({
          id: p.id,
          name: p.name,
          policeNo: p.policeNo,
          unitId: p.unitId,
          roles: p.roles,
          postIds: p.postIds,
        })),
      onDuty: d.onDuty.filter((o) => wide || ownUnitPosts.has(o.postId) || o.personId === claims.sub),
      scope: scope.persons,
      serverTime: clock.now(),
    };
    await deps.audit.record({
      action: ReadAction.directory,
      actor: claims.sub,
      detail: { scope: scope.persons, persons: out.persons.length },
    });
    sendJson(res, 200, out);
  };

  const duty: Handler = async (req, res) => {
    const claims = await authenticate(req);
    const body = await readJsonBody(req, deps.maxBodyBytes);
    const b = bodyObject(body);
    const postId = b['postId'];
    const on = b['on'];
    if (typeof postId !== 'string' || postId.length === 0 || postId.length > 64 || typeof on !== 'boolean') {
      throw new HttpError(400, 'invalid-request', 'send {"postId": string, "on": boolean}');
    }
    const person = await store.getPerson(claims.sub);
    if (!person) throw new HttpError(401, 'unauthorized', 'this person no longer exists');
    if (!person.postIds.includes(postId)) {
      throw new HttpError(403, 'not-your-post', `you do not hold post "${postId}"`);
    }
    const at = clock.now();
    const changed = await store.setOnDuty(person.id, postId, on, at);
    if (changed) {
      const action = on ? AuditAction.dutyOn : AuditAction.dutyOff;
      await deps.audit.record({ action, actor: person.id, detail: { postId } });
      log.info(on ? 'on duty' : 'off duty', { person: person.id, post: postId });
      await deps.directory.reload();
    }
    if (on && deps.onDutyStarted) {
      try {
        await deps.onDutyStarted(person.id, postId);
      } catch (error) {
        log.error('could not deliver invitations on duty', {
          person: person.id,
          post: postId,
          error: errorText(error),
        });
      }
    }
    const onDuty = (await store.getDirectory()).onDuty.filter((d) => d.postId === postId);
    const out: DutyResponse = { person: await personView(store, person), onDuty, serverTime: at };
    sendJson(res, 200, out);
  };

  const templates: Handler = async (req, res) => {
    await authenticate(req);
    const out: TemplatesResponse = { templates: [...deps.templates] };
    sendJson(res, 200, out);
  };

  return {
    '/api/directory': { GET: directory },
    '/api/duty': { POST: duty },
    '/api/templates': { GET: templates },
  };
}
