import { seriesInput } from '../../domain/scheduling/index.ts';
import { apiOperations, apiRoute, createApi } from '../kit/api.ts';
import type { RouteKit } from '../routes.ts';
import type { HttpDeps } from '../types.ts';
import { bookerOf } from './actors.ts';
import { series } from './schemas.ts';

const book = apiOperations({ tags: ['Appointments'], policy: 'appointments.book-own' }).post('/', {
  summary: 'Book a weekly series; clashes are reported per occurrence',
  body: seriesInput,
  created: [series, 'The series'],
  refuses: [401, 403, 404, 422],
});

/** `/api/v1/appointment-series`: staff book a weekly series; clashes are reported per occurrence. */
export function appointmentSeriesApi(deps: HttpDeps, kit: RouteKit) {
  const app = createApi();
  app.openapi(apiRoute(kit, book), async (c) => {
    const result = await deps.appointments.bookSeries(bookerOf(c), c.req.valid('json'));
    return c.json(
      { series: { id: result.seriesId, appointments: result.created, conflicts: result.conflicts } },
      201,
    );
  });
  return app;
}
