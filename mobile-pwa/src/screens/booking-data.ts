import { api, type PractitionerJson, type ServiceJson } from '../api.ts';
import { useLoad } from '../ui.tsx';

/** What the booking steps read, shared by the choosing steps and the confirm step. */
export const ANY = 'any';

export function useServices() {
  return useLoad(() => api.get<{ services: ServiceJson[] }>('/api/v1/services'), 'services');
}

export function usePractitioners(serviceId: string) {
  return useLoad(
    () =>
      api.get<{ practitioners: PractitionerJson[] }>(
        `/api/v1/practitioners?serviceId=${encodeURIComponent(serviceId)}`,
      ),
    `practitioners:${serviceId}`,
  );
}
