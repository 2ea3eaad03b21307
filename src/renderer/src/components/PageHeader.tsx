import type { ReactNode } from 'react'

export const PAGE_TITLE_ID = 'page-title'

interface HeaderProps {
  title: string
  description?: string
  actions?: ReactNode
}

/**
 * A title with its description and actions; `block` names the CSS block (page-header,
 * section-header) and `level` the heading, so a page and its sections share one structure.
 */
function TitledHeader({ block, level, id, title, description, actions }: HeaderProps & { block: string; level: 1 | 2 | 3; id: string }) {
  const Heading = `h${level}` as const
  return (
    <header className={block}>
      <div>
        <Heading id={id} className={`${block}__title`}>
          {title}
        </Heading>
        {description ? <p className={`${block}__description`}>{description}</p> : null}
      </div>
      {actions ? <div className={`${block}__actions`}>{actions}</div> : null}
    </header>
  )
}

/** The one h1 of a screen; the main landmark is labelled by it. */
export function PageHeader(props: HeaderProps) {
  return <TitledHeader block="page-header" level={1} id={PAGE_TITLE_ID} {...props} />
}

/** The heading of a section within a screen (a settings page), labelling that section by `id`; level 3 for a part of such a section. */
export function SectionHeader({ id, level = 2, ...props }: HeaderProps & { id: string; level?: 2 | 3 }) {
  return <TitledHeader block="section-header" level={level} id={id} {...props} />
}
