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
function TitledHeader({ block, level, id, title, description, actions }: HeaderProps & { block: string; level: 1 | 2; id: string }) {
  const Heading = level === 1 ? 'h1' : 'h2'
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

/** The h2 of a section within a screen (a settings page), labelling that section by `id`. */
export function SectionHeader({ id, ...props }: HeaderProps & { id: string }) {
  return <TitledHeader block="section-header" level={2} id={id} {...props} />
}
