import type { Catalog } from './define'
import { en, type FrameMessages } from './en'
import { es } from './es'

export const frameCatalog: Catalog<FrameMessages> = { en, es }
