import type { ReactNode } from 'react'

/** The heading of a section within a screen (a settings page), with its description and actions. */
export function SectionHeader({ id, title, description, actions }: { id: string; title: string; description?: string; actions?: ReactNode }) {
  return (
    <div className="section-header">
      <div>
        <h2 id={id} className="section-header__title">
          {title}
        </h2>
        {description ? <p className="section-header__description">{description}</p> : null}
      </div>
      {actions}
    </div>
  )
}
