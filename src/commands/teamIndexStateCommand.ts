/**
 * `seek._teamIndexState` (hidden): the team index as the extension sees it (status, namespace per folder, outage
 * warnings shown, unsaved paths sent), for the integration tests. Never holds the password.
 */
import type { TeamIndexService } from "../indexing/teamIndexService";

export function teamIndexStateCommand(team: TeamIndexService): unknown {
    return JSON.parse(JSON.stringify(team.snapshot())) as unknown;
}
