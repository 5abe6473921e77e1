/** HTTP API shapes shared by the server and the web app. */

export interface LoginRequest {
  policeNo: string;
  password: string;
}

export interface Person {
  id: string;
  name: string;
  policeNo: string;
  unitId: string;
  roles: string[];
  /** Posts this person is on duty at. */
  postIds: string[];
}

export interface LoginResponse {
  token: string;
  /** Expiry of the token, ms since epoch (server time). */
  expiresAt: number;
  person: Person;
  serverTime: number;
}

export interface UnitInfo {
  id: string;
  name: string;
  nameEn: string;
  parentId: string | null;
  kind: string;
}

export type PostKind = 'management' | 'support' | 'leader';

export interface PostInfo {
  id: string;
  unitId: string;
  name: string;
  nameEn: string;
  kind: PostKind;
}

export interface DirectoryResponse {
  units: UnitInfo[];
  posts: PostInfo[];
}

/** A row of the group list as the server knows it. */
export interface GroupSummary {
  id: string;
  title: string;
  kind: 'incident' | 'task';
  initiatorName: string;
  /** Device time the group was started. */
  createdAt: number;
  /** Server time of the last persisted change. */
  updatedAt: number;
  entryCount: number;
}

export interface GroupListResponse {
  groups: GroupSummary[];
  serverTime: number;
}

export interface ApiError {
  error: string;
  message: string;
}
