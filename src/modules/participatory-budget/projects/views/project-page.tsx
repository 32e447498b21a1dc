import type { Districts } from '../../../../kernel/geo/districts.js';
import type { Projection } from '../../../../kernel/geo/map.js';
import type { ViewContext } from '../../../../kernel/ui/context.js';
import type { Campaign } from '../../campaigns/store.js';
import type { ProposalRow } from '../../proposals/store.js';
import { PointsMap } from '../../proposals/views/points-map.js';
import type { Project } from '../store.js';
import { ProjectFacts } from './project-facts.js';

/** A ballot project in public: what it is, what the study found, and the residents' proposals it came from. */
export function ProjectPage(props: {
  ctx: ViewContext;
  campaign: Campaign;
  project: Project;
  proposals: ProposalRow[];
  districts: Districts;
  proj: Projection;
}) {
  const { ctx, campaign, project: p } = props;
  const t = ctx.t;
  const base = `/budget/${campaign.code}`;
  const title = ctx.lang === 'en' ? p.title_en : p.title_fr;
  const description = ctx.lang === 'en' ? p.description_en : p.description_fr;
  return (
    <>
      <p>
        <a href={`${base}/proposals`}>{t('participatory-budget.proposal.back')}</a>
      </p>
      <h1 id="project-title">{title}</h1>
      <ProjectFacts ctx={ctx} campaign={campaign} project={p} />
      {description.split(/\n\s*\n/).map((paragraph) => (
        <p key={paragraph}>{paragraph}</p>
      ))}
      {p.lat !== null && p.lng !== null ? (
        <PointsMap
          title={t('participatory-budget.project.mapTitle')}
          districts={props.districts}
          proj={props.proj}
          points={[{ lat: p.lat, lng: p.lng, href: '#project-title', label: title }]}
        />
      ) : null}
      <h2>{t('participatory-budget.project.sources', { count: props.proposals.length })}</h2>
      <ul>
        {props.proposals.map((proposal) => (
          <li key={proposal.id}>
            <a href={`${base}/proposals/${proposal.id}`}>{proposal.title}</a> ({proposal.reference})
          </li>
        ))}
      </ul>
    </>
  );
}
