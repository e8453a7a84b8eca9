import type { Random } from './random.ts';

/** A made-up person as both upstreams would know them. */
export interface Person {
  firstName: string;
  /** One or two surnames, Mexican style: "Fernández López". */
  lastName: string;
  /** Unique, lowercase. */
  email: string;
  /** Unique, lowercase, no spaces. */
  username: string;
  /** Unique; digits with the country code and no `+`, as NXLink stores phones. */
  phone: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
}

const FIRST_NAMES = [
  'José',
  'María',
  'Juan',
  'Guadalupe',
  'Francisco',
  'Ana',
  'Luis',
  'Sofía',
  'Jesús',
  'Valentina',
  'Miguel Ángel',
  'Ximena',
  'Alejandro',
  'Regina',
  'Fernando',
  'Renata',
  'Andrés',
  'Camila',
  'Héctor',
  'Mariana',
  'Raúl',
  'Lucía',
  'Sebastián',
  'Daniela',
  'Tomás',
  'Andrea',
  'Iñaki',
  'Paola',
  'Óscar',
  'Fernanda',
  'Rubén',
  'Verónica',
  'Ramón',
  'Itzel',
  'Joaquín',
  'Araceli',
  'Emilio',
  'Zoé',
  'Julián',
  'Maite',
  'Agustín',
  'Dolores',
  'Santiago',
  'Citlali',
  'Efraín',
  'Begoña',
  'Germán',
  'Nayeli',
  'Máximo',
  'Inés',
];

const SURNAMES = [
  'Fernández',
  'López',
  'García',
  'Hernández',
  'Martínez',
  'González',
  'Pérez',
  'Rodríguez',
  'Sánchez',
  'Ramírez',
  'Cruz',
  'Flores',
  'Gómez',
  'Díaz',
  'Reyes',
  'Morales',
  'Jiménez',
  'Gutiérrez',
  'Ruiz',
  'Núñez',
  'Ñúñez',
  'Muñoz',
  'Álvarez',
  'Castañeda',
  'Ibáñez',
  'Peña',
  'Domínguez',
  'Vázquez',
  'Chávez',
  'Ortiz',
  'Solís',
  'Méndez',
  'Aguilar',
  'Velázquez',
  'Ríos',
  'Zúñiga',
  'Cortés',
  'Rentería',
  'Orozco',
  'Villaseñor',
  'Salazar',
  'Bolaños',
  'de la Cruz',
  'Téllez',
  'Acuña',
];

const EMAIL_DOMAINS = [
  'gmail.com',
  'hotmail.com',
  'outlook.com',
  'yahoo.com.mx',
  'icloud.com',
  'prodigy.net.mx',
  'example.mx',
];

/** Country, dialling code and a generator of the national number (mobile formats). */
const COUNTRIES: readonly { country: string; weight: number; number: (random: Random) => string }[] = [
  { country: 'MX', weight: 88, number: (r) => `52${r.pick(['55', '33', '81'])}${r.digits(8)}` },
  { country: 'CO', weight: 8, number: (r) => `573${r.pick(['00', '01', '10', '15', '20'])}${r.digits(7)}` },
  { country: 'PE', weight: 4, number: (r) => `519${r.digits(8)}` },
];

/**
 * Makes people with unique emails, usernames and phones. It keeps what it handed out, so that
 * customers inserted later (tests, the POST endpoint's defaults) never collide with seeded ones.
 */
export class PeopleFactory {
  /** How many times each email/username stem was handed out: the next suffix, in O(1). */
  private readonly stems = new Map<string, number>();
  private readonly phones = new Set<string>();

  constructor(private readonly random: Random) {}

  person(): Person {
    const r = this.random;
    const firstIndex = r.int(0, FIRST_NAMES.length - 1);
    const surnameIndex = r.int(0, SURNAMES.length - 1);
    const firstName = FIRST_NAMES[firstIndex] ?? '';
    const surname = SURNAMES[surnameIndex] ?? '';
    const lastName = r.chance(0.7) ? `${surname} ${r.pick(SURNAMES)}` : surname;
    const origin = pickWeighted(r, COUNTRIES);
    const first = FIRST_SLUGS[firstIndex] ?? '';
    const last = SURNAME_SLUGS[surnameIndex] ?? '';
    // Núñez and Ñúñez share a slug, so stems are keyed by slug, not by name.
    const stem = `${first}.${last}`;
    const count = this.stems.get(stem) ?? 0;
    this.stems.set(stem, count + 1);
    // Slugs hold letters only, so a stem plus a count never equals another stem plus a count.
    return {
      firstName,
      lastName,
      email: `${stem}${count === 0 ? '' : count}@${r.pick(EMAIL_DOMAINS)}`,
      username: `${first}_${last}_${String(count + 1).padStart(2, '0')}`,
      phone: this.claimPhone(() => origin.number(r)),
      country: origin.country,
    };
  }

  private claimPhone(make: () => string): string {
    let candidate = make();
    while (this.phones.has(candidate)) candidate = make();
    this.phones.add(candidate);
    return candidate;
  }
}

/** "Ñúñez" → "nunez", "Miguel Ángel" → "miguel": emails and usernames are plain ASCII. */
export function asciiSlug(text: string): string {
  return (text.split(' ')[0] ?? text)
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

const FIRST_SLUGS = FIRST_NAMES.map(asciiSlug);
const SURNAME_SLUGS = SURNAMES.map((surname) => asciiSlug(surname.replaceAll(' ', '')));

function pickWeighted<T extends { weight: number }>(random: Random, items: readonly T[]): T {
  const total = items.reduce((sum, item) => sum + item.weight, 0);
  let ticket = random.next() * total;
  for (const item of items) {
    ticket -= item.weight;
    if (ticket < 0) return item;
  }
  return random.pick(items);
}
