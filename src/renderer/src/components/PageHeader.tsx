import type { ReactNode } from 'react'

export const PAGE_TITLE_ID = 'page-title'

/** The one h1 of a screen; the main landmark is labelled by it. */
export function PageHeader({ title, description, actions }: { title: string; description?: string; actions?: ReactNode }) {
  return (
    <header className="page-header">
      <div>
        <h1 id={PAGE_TITLE_ID} className="page-header__title">
          {title}
        </h1>
        {description ? <p className="page-header__description">{description}</p> : null}
      </div>
      {actions ? <div className="page-header__actions">{actions}</div> : null}
    </header>
  )
}
