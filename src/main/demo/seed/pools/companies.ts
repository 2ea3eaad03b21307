export type Language = 'es' | 'en'
export type CompanySize = 'small' | 'medium' | 'large'

export interface Company {
  name: string
  language: Language
  industry: Industry
  /** ISO 3166-1 alpha-2, as in seed 000's businessContext.location */
  country: string
  size: CompanySize
  /** Primary web domain (without scheme) */
  domain: string
}

export const INDUSTRIES = [
  'healthcare',
  'retail',
  'legal',
  'hospitality',
  'education',
  'real_estate',
  'finance',
  'technology',
  'logistics',
  'automotive',
  'beauty',
  'fitness'
] as const
export type Industry = (typeof INDUSTRIES)[number]

/** The demo's hand-written tenants: recognisable businesses a support agent would actually meet. */
export const DEMO_COMPANIES: readonly Company[] = [
  { name: 'Clínica Dental Sonrisa', language: 'es', industry: 'healthcare', country: 'ES', size: 'small', domain: 'clinicasonrisa.es' },
  { name: 'Ferretería El Martillo', language: 'es', industry: 'retail', country: 'ES', size: 'small', domain: 'ferreteriaelmartillo.es' },
  { name: 'Northwind Legal', language: 'en', industry: 'legal', country: 'US', size: 'medium', domain: 'northwindlegal.com' },
  { name: 'Hotel Mirador del Valle', language: 'es', industry: 'hospitality', country: 'MX', size: 'medium', domain: 'hotelmiradordelvalle.mx' },
  { name: 'Academia Idiomas Babel', language: 'es', industry: 'education', country: 'ES', size: 'small', domain: 'academiababel.es' },
  { name: 'Inmobiliaria Costa Azul', language: 'es', industry: 'real_estate', country: 'ES', size: 'medium', domain: 'inmocostaazul.es' },
  { name: 'Brightpath Dental Group', language: 'en', industry: 'healthcare', country: 'GB', size: 'medium', domain: 'brightpathdental.co.uk' },
  { name: 'Cooperativa de Crédito La Unión', language: 'es', industry: 'finance', country: 'CO', size: 'large', domain: 'cooplaunion.com.co' },
  { name: 'Harbor & Pine Realty', language: 'en', industry: 'real_estate', country: 'US', size: 'small', domain: 'harborpinerealty.com' },
  { name: 'Talleres Mecánicos Hermanos Ruiz', language: 'es', industry: 'automotive', country: 'ES', size: 'small', domain: 'tallereshermanosruiz.es' },
  { name: 'Peluquería Estilo y Color', language: 'es', industry: 'beauty', country: 'AR', size: 'small', domain: 'estiloycolor.com.ar' },
  { name: 'Summit Fitness Studios', language: 'en', industry: 'fitness', country: 'CA', size: 'medium', domain: 'summitfitness.ca' },
  { name: 'Transportes Rápidos del Norte', language: 'es', industry: 'logistics', country: 'MX', size: 'large', domain: 'transportesrapidosnorte.mx' },
  { name: 'Bluebird Bakery & Café', language: 'en', industry: 'hospitality', country: 'US', size: 'small', domain: 'bluebirdbakery.com' },
  { name: 'Farmacia Santa Lucía', language: 'es', industry: 'healthcare', country: 'CL', size: 'small', domain: 'farmaciasantalucia.cl' },
  { name: 'Keystone Accounting Partners', language: 'en', industry: 'finance', country: 'US', size: 'medium', domain: 'keystoneaccounting.com' },
  { name: 'Librería El Quijote', language: 'es', industry: 'retail', country: 'ES', size: 'small', domain: 'libreriaelquijote.es' },
  { name: 'Orchard Veterinary Clinic', language: 'en', industry: 'healthcare', country: 'IE', size: 'small', domain: 'orchardvets.ie' },
  { name: 'Colegio Bilingüe San Marcos', language: 'es', industry: 'education', country: 'PE', size: 'medium', domain: 'colegiosanmarcos.edu.pe' },
  { name: 'Lumen Software Labs', language: 'en', industry: 'technology', country: 'US', size: 'medium', domain: 'lumenlabs.io' },
  { name: 'Restaurante La Paella de Oro', language: 'es', industry: 'hospitality', country: 'ES', size: 'small', domain: 'lapaelladeoro.es' },
  { name: 'Atlas Freight Solutions', language: 'en', industry: 'logistics', country: 'GB', size: 'large', domain: 'atlasfreight.co.uk' },
  { name: 'Óptica Visión Clara', language: 'es', industry: 'retail', country: 'UY', size: 'small', domain: 'opticavisionclara.com.uy' },
  { name: 'Greenfield Community College', language: 'en', industry: 'education', country: 'US', size: 'large', domain: 'greenfieldcc.edu' },
  { name: 'Gimnasio Fuerza Total', language: 'es', industry: 'fitness', country: 'ES', size: 'small', domain: 'fuerzatotal.es' },
  { name: 'Maple Street Motors', language: 'en', industry: 'automotive', country: 'CA', size: 'medium', domain: 'maplestreetmotors.ca' },
  { name: 'Abogados Martín & Asociados', language: 'es', industry: 'legal', country: 'ES', size: 'medium', domain: 'martinasociados.es' },
  { name: 'Serenity Spa & Wellness', language: 'en', industry: 'beauty', country: 'AU', size: 'small', domain: 'serenityspa.com.au' },
  { name: 'Tecnología Andina SAS', language: 'es', industry: 'technology', country: 'CO', size: 'medium', domain: 'tecnologiaandina.co' },
  { name: 'Riverside Family Pharmacy', language: 'en', industry: 'healthcare', country: 'US', size: 'small', domain: 'riversidepharmacy.com' }
]

const BENCH_PREFIX_ES = ['Clínica', 'Ferretería', 'Hotel', 'Academia', 'Inmobiliaria', 'Taller', 'Farmacia', 'Librería', 'Restaurante', 'Óptica', 'Gimnasio', 'Consultoría', 'Distribuidora', 'Panadería']
const BENCH_NAME_ES = ['El Roble', 'Santa Ana', 'Los Olivos', 'La Esperanza', 'Sol y Mar', 'San Rafael', 'Del Centro', 'La Estrella', 'Montecarlo', 'Las Palmas', 'El Faro', 'Nueva Era']
const BENCH_PREFIX_EN = ['Oakridge', 'Silverline', 'Bluewater', 'Redwood', 'Cedar', 'Highland', 'Lakeside', 'Granite', 'Evergreen', 'Sunrise', 'Ironbridge', 'Westgate']
const BENCH_NAME_EN = ['Dental', 'Legal', 'Realty', 'Motors', 'Logistics', 'Fitness', 'Bakery', 'Pharmacy', 'Academy', 'Consulting', 'Software', 'Hotels']
const INDUSTRY_BY_WORD: Record<string, Industry> = {
  Clínica: 'healthcare', Ferretería: 'retail', Hotel: 'hospitality', Academia: 'education', Inmobiliaria: 'real_estate', Taller: 'automotive',
  Farmacia: 'healthcare', Librería: 'retail', Restaurante: 'hospitality', Óptica: 'retail', Gimnasio: 'fitness', Consultoría: 'finance',
  Distribuidora: 'logistics', Panadería: 'hospitality', Dental: 'healthcare', Legal: 'legal', Realty: 'real_estate', Motors: 'automotive',
  Logistics: 'logistics', Fitness: 'fitness', Bakery: 'hospitality', Pharmacy: 'healthcare', Academy: 'education', Consulting: 'finance',
  Software: 'technology', Hotels: 'hospitality'
}
const COUNTRIES_ES = ['ES', 'MX', 'AR', 'CO', 'CL', 'PE', 'UY']
const COUNTRIES_EN = ['US', 'GB', 'CA', 'IE', 'AU']
const TLD_BY_COUNTRY: Record<string, string> = {
  ES: 'es', MX: 'com.mx', AR: 'com.ar', CO: 'com.co', CL: 'cl', PE: 'pe', UY: 'com.uy', US: 'com', GB: 'co.uk', CA: 'ca', IE: 'ie', AU: 'com.au'
}

/** "Clínica Dental Sonrisa" → "clinica-dental-sonrisa" (accents folded, ampersands dropped). */
export function slugify(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
}

/**
 * The n-th synthetic company of the bench scale: a name built from word lists plus a branch
 * number, so 500 of them are distinct and still read like businesses.
 */
export function benchCompany(index: number): Company {
  const spanish = index % 2 === 0
  const language: Language = spanish ? 'es' : 'en'
  const [prefixes, names, countries] = spanish ? [BENCH_PREFIX_ES, BENCH_NAME_ES, COUNTRIES_ES] : [BENCH_PREFIX_EN, BENCH_NAME_EN, COUNTRIES_EN]
  const half = Math.floor(index / 2)
  const first = prefixes[half % prefixes.length]!
  const second = names[Math.floor(half / prefixes.length) % names.length]!
  const branch = Math.floor(half / (prefixes.length * names.length)) + 1
  const base = `${first} ${second}`
  const name = branch > 1 ? `${base} ${spanish ? 'Sucursal' : 'Branch'} ${branch}` : base
  const country = countries[half % countries.length]!
  const industry = INDUSTRY_BY_WORD[spanish ? first : second] ?? 'technology'
  const sizes: CompanySize[] = ['small', 'small', 'medium', 'large']
  return { name, language, industry, country, size: sizes[index % sizes.length]!, domain: `${slugify(name).replace(/-/g, '')}.${TLD_BY_COUNTRY[country]}` }
}
